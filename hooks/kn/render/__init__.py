"""kn.render"""
