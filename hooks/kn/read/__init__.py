"""kn.read"""
